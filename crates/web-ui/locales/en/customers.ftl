# Customer list, customer page and forms.
customers-title = Customers
customer-title = Customer
new-customer-title = New customer
