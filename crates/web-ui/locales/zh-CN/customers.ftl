# Customer list, customer page and forms.
customers-title = 客户
customer-title = 客户
new-customer-title = 新建客户
