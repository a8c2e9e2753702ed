# Customer list, customer page and forms.
customers-title = 客戶
customer-title = 客戶
new-customer-title = 新建客戶
